from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from giamsat.api.v1 import api

admin.site.site_header = _("giamsat administration")
admin.site.site_title = _("giamsat administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("giamsat.web.urls")),
]
