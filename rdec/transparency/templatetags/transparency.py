from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """4788000 → 4,788,000 (an amount in whole NT$, in every language)."""
    return f"{int(value):,}"
