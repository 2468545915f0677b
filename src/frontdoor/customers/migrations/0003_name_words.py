"""Name search at scale (PostgreSQL): the words used in names, with a pg_trgm index to correct
typos against, and a full-text (simple dictionary) GIN index on the customers' search_name to
find the customers whose names hold those words.

The full-text index expression is exactly what Django's SearchVector("search_name",
config="simple") writes, so the planner uses it.
"""

from django.db import migrations, models

WORD_INDEX = "customer_nameword_trgm"
WORDS_INDEX = "customer_search_name_words"


def fill_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO customers_nameword (word) "
            "SELECT DISTINCT left(w, 100) FROM customers_customer, "
            "unnest(string_to_array(search_name, ' ')) AS w WHERE w <> '' "
            "ON CONFLICT (word) DO NOTHING"
        )
        return
    Customer = apps.get_model("customers", "Customer")
    NameWord = apps.get_model("customers", "NameWord")
    words = set()
    for name in Customer.objects.values_list("search_name", flat=True).iterator(chunk_size=5000):
        words.update(w[:100] for w in name.split())
    NameWord.objects.bulk_create(
        [NameWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=5000
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORD_INDEX} ON customers_nameword "
        "USING gin (word gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON customers_customer "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_name, '')))"
    )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORD_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_customer_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
