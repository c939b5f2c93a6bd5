class KeystoreRouter:
    """Keep the keystore's tables in their own database, and nothing else there."""

    app_label = "keystore"
    db = "keystore"

    def db_for_read(self, model, **hints):
        return self.db if model._meta.app_label == self.app_label else "default"

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == self.app_label:
            return db == self.db
        return db == "default"
