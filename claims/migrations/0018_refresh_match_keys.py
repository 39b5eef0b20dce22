"""Stems now come from the Snowball stemmer: keys stored before no longer meet new ones, so
every claim's and fact-check's matching keys are computed again."""

from django.db import migrations


def refresh(apps, schema_editor):
    from claims.services.matching import refresh_match_keys

    refresh_match_keys(apps.get_model("claims", "Claim"), apps.get_model("claims", "FactCheck"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0017_library_documents")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
