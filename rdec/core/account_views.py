"""Citizen accounts: self-registration, phone and e-mail verification by one-time codes, changing
one's contact details (which clears their verification). Services: rdec/core/verification.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from rdec.core import verification
from rdec.core.forms import apply_errors
from rdec.core.models import Role
from rdec.core.net import client_ip
from rdec.core.pii import mask_email
from rdec.core.sms import mask_phone


class RegisterForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        help_text=gettext_lazy("Letters, digits and @ . + - _ only; used to log in, never shown to others."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Name shown"),
        max_length=40,
        help_text=gettext_lazy("Shown with what you propose, support or write; a pseudonym is allowed."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.CharField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        help_text=gettext_lazy(
            "A Taiwanese mobile number (09xx-xxx-xxx): a one-time code is sent to it by SMS."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        help_text=gettext_lazy("At least 12 characters; not a common or all-digit password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code received"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ContactForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        help_text=gettext_lazy("To confirm that it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
@sensitive_post_parameters("password1", "password2", "phone", "email")
def register(request):
    if request.user.is_authenticated:
        return redirect("core:account-verify")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = verification.register_citizen(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    ip_address=client_ip(request),
                )
            except verification.CodeThrottled as exc:
                apply_errors(form, exc)
                status = 429
            except ValidationError as exc:
                apply_errors(form, exc)
                status = 400
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your account is made. Now verify your phone and e-mail."))
                url = reverse("core:account-verify")
                target = _safe_next(request)
                return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
        else:
            status = 400
    return render(
        request, "core/account_register.html", {"form": form, "next": _safe_next(request)}, status=status
    )


@never_cache
@login_required
def verify(request):
    user = request.user
    if user.role != Role.CITIZEN:
        return render(request, "core/account_verify.html", {"not_citizen": True})
    ip = client_ip(request)
    phone_form = CodeForm(prefix="phone")
    email_form = CodeForm(prefix="email")
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    target = _safe_next(request)
    try:
        if action == "send-phone":
            verification.send_phone_code(actor=user, ip_address=ip)
            messages.info(
                request, _("A code was sent by SMS to %(phone)s.") % {"phone": mask_phone(user.phone)}
            )
            return redirect(request.get_full_path())
        if action == "send-email":
            verification.send_email_code(actor=user, ip_address=ip)
            messages.info(request, _("A code was sent to %(email)s.") % {"email": mask_email(user.email)})
            return redirect(request.get_full_path())
        if action == "confirm-phone":
            phone_form = CodeForm(request.POST, prefix="phone")
            if phone_form.is_valid():
                verification.confirm_phone_code(
                    actor=user, code=phone_form.cleaned_data["code"], ip_address=ip
                )
                messages.success(request, _("Your phone is verified."))
                return redirect(
                    target if target and verification.is_verified_citizen(user) else request.get_full_path()
                )
            status = 400
        if action == "confirm-email":
            email_form = CodeForm(request.POST, prefix="email")
            if email_form.is_valid():
                verification.confirm_email_code(
                    actor=user, code=email_form.cleaned_data["code"], ip_address=ip
                )
                messages.success(request, _("Your e-mail is verified."))
                return redirect(
                    target if target and verification.is_verified_citizen(user) else request.get_full_path()
                )
            status = 400
    except verification.CodeThrottled as exc:
        messages.error(request, " ".join(exc.messages))
        status = 429
    except ValidationError as exc:
        form = phone_form if action.endswith("phone") else email_form
        apply_errors(form, exc, default_field="code")
        status = 400
    state = verification.verification_state(user)
    return render(
        request,
        "core/account_verify.html",
        {
            "state": state,
            "phone_masked": mask_phone(user.phone),
            "email_masked": mask_email(user.email),
            "phone_form": phone_form,
            "email_form": email_form,
            "next": target,
            "code_minutes": verification.CODE_MINUTES,
            "max_attempts": verification.MAX_ATTEMPTS,
            "resend_seconds": verification.RESEND_SECONDS,
        },
        status=status,
    )


@never_cache
@login_required
@sensitive_post_parameters("password", "phone", "email")
def contact(request):
    """Change one's e-mail or phone (confirmed with the password); a changed one must be verified again."""
    user = request.user
    form = ContactForm(request.POST or None, initial={"email": user.email, "phone": user.phone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if authenticate(request, username=user.username, password=form.cleaned_data["password"]) is None:
                form.add_error("password", _("The password is not right."))
                status = 400
            else:
                try:
                    verification.change_contact(
                        actor=user,
                        email=form.cleaned_data["email"],
                        phone=form.cleaned_data["phone"],
                        ip_address=client_ip(request),
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                    status = 400
                else:
                    messages.success(request, _("Saved. A changed phone or e-mail must be verified again."))
                    return redirect("core:account-verify")
        else:
            status = 400
    return render(request, "core/account_contact.html", {"form": form}, status=status)


urlpatterns = [
    path("accounts/register/", register, name="account-register"),
    path("accounts/verify/", verify, name="account-verify"),
    path("accounts/contact/", contact, name="account-contact"),
]
