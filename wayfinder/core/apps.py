from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wayfinder.core"
    label = "core"
    # Every page's frame: skip link, quick exit, language switch (wayfinder.core.survivor).
    survivor_templates = ["base.html", "_survivor_language.html"]

    def ready(self):
        # In ready(): checks read settings and the keystore models once the registry is loaded.
        # Interface languages Django does not know (Tagalog, Haitian Creole): their names.
        from django.conf.locale import LANG_INFO

        from wayfinder.core import (
            checks,  # noqa: F401  (registers system checks)
            lookups,  # noqa: F401  (registers field__any_of)
        )
        from wayfinder.core.languages import EXTRA_LANG_INFO

        for code, info in EXTRA_LANG_INFO.items():
            LANG_INFO.setdefault(code, info)
