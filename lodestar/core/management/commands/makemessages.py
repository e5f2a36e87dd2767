"""``makemessages`` that also reads Jinja2 templates (every ``jinja2/`` folder).

Django's own extraction would read them as Django templates and miss ``{% trans %}`` blocks, so
they are left out of it and read with Babel (``jinja2.ext.babel_extract``, new-style gettext as
the environment renders them); their msgids join the domain's ``.pot`` before it is merged into
each language's ``django.po``. A ported template keeps its msgids, so German needs no new work.
"""

import io
import os
import subprocess
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import write_po
from django.core.management.commands import makemessages
from django.core.management.utils import is_ignored_path

JINJA2_FOLDER = "jinja2"
TEMPLATE_EXTENSIONS = (".html", ".txt")


def is_jinja2_template(path: str) -> bool:
    return JINJA2_FOLDER in Path(path).parts[:-1]


def jinja2_pot(paths: list[str]) -> bytes:
    """The msgids of these Jinja2 templates as a POT file (locations relative as given)."""
    catalog = Catalog(charset="UTF-8")
    for path in paths:
        with open(path, "rb") as template:
            found = extract(
                "jinja2.ext:babel_extract",
                template,
                comment_tags=("Translators",),
                options={"newstyle_gettext": "true", "trimmed": "false"},
            )
            for lineno, message, comments, context in found:
                catalog.add(message, locations=[(path, lineno)], auto_comments=comments, context=context)
    output = io.BytesIO()
    write_po(output, catalog, width=79, omit_header=True)
    return output.getvalue()


class Command(makemessages.Command):
    help = makemessages.Command.help + " Jinja2 templates (jinja2/ folders) are read with Babel."

    def find_files(self, root):
        return [found for found in super().find_files(root) if not is_jinja2_template(found.path)]

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        if self.domain != "django":
            return potfiles
        templates = sorted(self.jinja2_templates("."))
        potfile = os.path.join(self.default_locale_path, f"{self.domain}.pot")
        if not templates or potfile not in potfiles:
            return potfiles
        header = Path(potfile).read_bytes().split(b"\n\n", 1)[0]  # the same header: msgcat merges it
        with tempfile.NamedTemporaryFile(suffix=".pot") as jinja2_messages:
            jinja2_messages.write(header + b"\n\n" + jinja2_pot(templates))
            jinja2_messages.flush()  # a msgid both engines use keeps every location
            subprocess.run(["msgcat", *self.msguniq_options, "-o", potfile, potfile, jinja2_messages.name], check=True)
        return potfiles

    def jinja2_templates(self, root):
        for dirpath, dirnames, filenames in os.walk(root, followlinks=self.symlinks):
            dirnames[:] = [
                name
                for name in dirnames
                if not is_ignored_path(os.path.normpath(os.path.join(dirpath, name)), self.ignore_patterns)
            ]
            for filename in filenames:
                path = os.path.normpath(os.path.join(dirpath, filename))
                if is_jinja2_template(path) and path.endswith(TEMPLATE_EXTENSIONS):
                    yield path
