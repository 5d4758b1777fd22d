from django.urls import path

from . import views

urlpatterns = [
    path("<int:channel>/reached/", views.reached, name="channel_reached"),
]
