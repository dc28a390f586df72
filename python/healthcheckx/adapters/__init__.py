"""healthcheckx 1.2's `healthcheckx.adapters.*`: deprecated, import the adapters from
`healthcheckx` (or `healthcheckx.contrib.django|fastapi|flask`)."""
