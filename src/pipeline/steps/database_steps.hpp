#pragma once
//! Step handlers of the database setup: master password, then users, roles, grants and sanitizing.

#include "pipeline/steps/step_support.hpp"

namespace aurora::pipeline::steps {

json set_master_password(Step& s);
json wait_master_password(Step& s);
json database_setup(Step& s);

//! The password in a Secrets Manager SecretString: the "password" member of a JSON object (the RDS and
//! rotation-lambda convention), else the whole string. Registers it as a secret.
std::string password_from_secret(const std::string& secret_string);

} // namespace aurora::pipeline::steps
