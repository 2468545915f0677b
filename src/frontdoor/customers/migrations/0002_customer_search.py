"""Customer search: a normalised name column, filled for existing rows, and on PostgreSQL a
pg_trgm GIN index on it (typos and partial names).

SQLite has no pg_trgm: there search_customers narrows with LIKE and ranks with rapidfuzz.
CREATE EXTENSION needs a superuser (or a trusted-extension grant); pg_trgm is trusted in
PostgreSQL 13+, so a database owner may create it.
"""

from django.db import migrations, models

from frontdoor.customers.validation import search_name_for

TRIGRAM_INDEX = "customer_search_name_trgm"


def fill_search_names(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    batch = []
    for row in Customer.objects.only("given_name", "family_name", "organisation_name").iterator(
        chunk_size=2000
    ):
        row.search_name = search_name_for(row.given_name, row.family_name, row.organisation_name)
        batch.append(row)
        if len(batch) >= 2000:
            Customer.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, ["search_name"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customers_customer "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="search_name",
            field=models.CharField(blank=True, default="", max_length=400),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
