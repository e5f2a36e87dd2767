"""Comment text to safe HTML: Markdown (CommonMark, raw HTML off), @mentions as links to the
person, then sanitized by nh3 so that nothing but harmless markup and http(s)/mailto links remain."""

import html
import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

# What the mention picker inserts: @[Full Name] (or @[e-mail] when two people share a name).
MENTION = re.compile(r"@\[([^\[\]\n]{1,150})\]")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("strikethrough")
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "hr",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "class"}, "ol": {"start"}}


# Code spans and fenced blocks show what was typed: a mention in them is text, not a mention.
_CODE = re.compile(r"(```.*?(?:```|\Z)|`[^`\n]*`)", re.DOTALL)


def _outside_code(body: str, replace: Callable[[str], str]) -> str:
    parts = _CODE.split(body)
    return "".join(part if index % 2 else replace(part) for index, part in enumerate(parts))


def mentioned_names(body: str) -> list[str]:
    outside_code = "\n".join(part for index, part in enumerate(_CODE.split(body)) if index % 2 == 0)
    return [match.strip() for match in MENTION.findall(outside_code)]


def render(body: str, *, mention_url: Callable[[str], tuple[str, str] | None]) -> str:
    """``mention_url(name)`` gives (display name, URL) of a mentioned person, or None."""

    def link(match: re.Match) -> str:
        found = mention_url(match.group(1).strip())
        if found is None:
            return match.group(0).replace("[", "\\[").replace("]", "\\]")
        name, url = found
        return f'[@{_MARKDOWN_SPECIALS.sub(r"\\\1", name)}]({url} "mention")'

    linked = _outside_code(body, lambda text: MENTION.sub(link, text))
    rendered = _markdown.render(linked).replace(' title="mention"', ' class="mention"')
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def plain_text(body: str) -> str:
    """The comment as one line of text for feeds, e-mails and chat posts: mentions as @Name, the
    Markdown formatting taken out."""
    text = MENTION.sub(lambda match: "@" + match.group(1).strip().replace("[", "").replace("]", ""), body)
    return " ".join(html.unescape(nh3.clean(_markdown.render(text), tags=set())).split())
