from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from giamsat.accounts.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class GiamsatUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_select_related = ["profile__organisation"]
    list_filter = ["profile__role", "is_active"]

    @admin.display(description=Profile._meta.get_field("role").verbose_name)
    def role(self, user):
        return getattr(getattr(user, "profile", None), "get_role_display", lambda: "")()

    @admin.display(description=Profile._meta.get_field("organisation").verbose_name)
    def organisation(self, user):
        return getattr(getattr(user, "profile", None), "organisation", None) or ""


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
