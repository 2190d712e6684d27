// aurora-sandbox: the sandbox on its own, for tests and scripts (the same flags as `aurora-restore sandbox`,
// plus --port-file).
#include "sandbox/sandbox_command.hpp"

int main(int argc, char** argv) { return aurora::sandbox::sandbox_main(argc, argv); }
