-- Masks personal data after a restore, before any user gets access (runs in one transaction).
-- Re-runnable: running it twice gives the same result.
UPDATE customers
   SET email = 'customer-' || id || '@example.invalid',
       phone = NULL,
       full_name = 'Customer ' || id;
