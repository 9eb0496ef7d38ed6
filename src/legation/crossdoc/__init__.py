"""crossdoc stage."""
