from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "bellwether.peers"
    label = "peers"
