from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "bellwether.reviews"
    label = "reviews"
