"""An email backend whose server refuses everything (for the retry test)."""

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("relay refused")
