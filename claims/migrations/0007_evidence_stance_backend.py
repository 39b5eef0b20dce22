"""Which stance back-end gave each evidence's hint; the LLM calls each article has spent."""

from django.db import migrations, models


def mark_builtin(apps, schema_editor):
    # Every hint stored before back-ends existed came from the built-in scorer, except a
    # prior fact-check's, which is its rating.
    Evidence = apps.get_model("claims", "Evidence")
    Evidence.objects.exclude(found_via="factcheck").update(stance_backend="builtin")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_fetchattempt_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="llm_calls",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="evidence",
            name="stance_backend",
            field=models.CharField(
                blank=True,
                choices=[
                    ("builtin", "built-in scorer"),
                    ("nli", "NLI model"),
                    ("llm", "language model"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_builtin, migrations.RunPython.noop),
    ]
