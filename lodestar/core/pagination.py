"""Pages of the lists that grow with the organization (people, groups, KPIs), drawn by
templates/components/pagination.html."""

from django.core.paginator import Page, Paginator


def page_of(items, number, *, per_page: int) -> Page:
    """The page a query string asks for. Anything but a whole number, or a number below 1, is the
    first page; a number past the end (10**20 too) is the last: a shared link to a list that has
    since shrunk still shows something, and no page number is an error."""
    paginator = Paginator(items, per_page)
    try:
        wanted = int(number)
    except (TypeError, ValueError):  # None, "abc", "1.5", a number of more than 4,300 digits
        wanted = 1
    return paginator.page(min(max(wanted, 1), paginator.num_pages))
