"""No models: personal API tokens live in ``wayfinder.accounts.models.ApiToken``."""
