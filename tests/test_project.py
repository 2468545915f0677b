from django.core.management import call_command


def test_project_has_no_pending_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
