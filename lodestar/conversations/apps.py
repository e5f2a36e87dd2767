from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "lodestar.conversations"
    label = "conversations"
    verbose_name = "Conversations"
