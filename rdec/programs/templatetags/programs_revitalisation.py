from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12450000 → 12,450,000 (a whole number: NT$, people, visitors), in every language; '' for None."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}"
