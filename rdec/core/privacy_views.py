"""The full personal-data notice (個資告知), public: /privacy/."""

from __future__ import annotations

from django.shortcuts import render

from rdec.core import privacy


def privacy_notice(request):
    sections = [privacy.context(key) for key in privacy.FULL_NOTICE]
    return render(
        request,
        "core/privacy.html",
        {"sections": sections, "controller": privacy.controller(), "rights": privacy.RIGHTS},
    )
