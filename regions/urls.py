from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("villages/search/", views.village_search_view, name="village_search"),
]
