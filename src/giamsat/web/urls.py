from django.urls import path

from giamsat.web import views

app_name = "web"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("co-quan/<slug:slug>/", views.organisation_detail, name="organisation"),
]
