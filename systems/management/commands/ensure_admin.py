import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from systems.roles import ADMINISTRATOR


class Command(BaseCommand):
    help = (
        "Where no user exists yet, create an administrator with a random password and print it "
        "once. Does nothing when any user exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Users exist already; no administrator created.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        user.groups.add(Group.objects.get(name=ADMINISTRATOR))
        bar = "=" * 64
        self.stdout.write(
            f"{bar}\nCreated administrator '{username}' with password: {password}\n"
            f"This password is shown only now. Change it after logging in.\n{bar}"
        )
