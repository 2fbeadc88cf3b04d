from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.models import Role
from giamsat.api import tokens
from giamsat.api.models import ApiToken
from giamsat.orgs.models import Organisation


class NewTokenForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(label=_("organisation"), required=False,
                                          queryset=Organisation.objects.all())

    class Meta:
        model = ApiToken
        fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "role", "organisation", "created_at", "last_used_at",
                    "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__profile__organisation__name"]
    readonly_fields = ["name", "prefix", "user", "created_by", "created_at", "last_used_at",
                       "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return ["name", "role", "organisation"] if obj is None else self.readonly_fields

    @admin.display(description=_("role"))
    def role(self, token):
        return token.user.profile.get_role_display()

    @admin.display(description=_("organisation"))
    def organisation(self, token):
        return token.user.profile.organisation or "—"

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            token, secret = tokens.create_token(form.cleaned_data["name"],
                                                form.cleaned_data["role"],
                                                form.cleaned_data["organisation"], request.user)
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = token.pk
        self.message_user(request, _("The token, shown this once only: %(secret)s")
                          % {"secret": secret}, messages.WARNING)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail keeps who used it

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            tokens.revoke(token, by=request.user)
        self.message_user(request, _("Revoked."))
