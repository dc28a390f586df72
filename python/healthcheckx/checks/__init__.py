"""healthcheckx 1.2's `healthcheckx.checks.<family>.<service>_check.create_<service>_check`
factories: deprecated, the `Health` methods of the same names register the same checks."""
