"""The in-repo generator: spec/openapi.yaml -> API modules, models, error table, docs, examples."""
