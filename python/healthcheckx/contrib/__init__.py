"""Framework integrations. Each imports its framework only when used."""
