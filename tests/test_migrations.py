from django.core.management import call_command


def test_every_model_change_has_its_migration(db):
    # Exits with status 1 (SystemExit) when a model differs from its migrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
