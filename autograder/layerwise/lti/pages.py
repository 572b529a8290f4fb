"""The few pages the LTI endpoints answer with, bilingual, escaped by Jinja2."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape
from starlette.responses import HTMLResponse

from .ports import DeepLinkChoice
from .refusals import LaunchRefused

_LAYOUT = """<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ title }}</title>
<script src="{{ asset }}" defer></script></head>
<body><main>{% block body %}{% endblock %}</main></body></html>"""

_TEMPLATES = {
    "layout.html": _LAYOUT,
    "refused.html": """{% extends "layout.html" %}{% block body %}<h1>Acesso recusado / Access refused</h1>
<p lang="pt-BR">{{ pt }}</p><p lang="en">{{ en }}</p>
<p><small>{{ code }}</small></p>{% endblock %}""",
    "login.html": """{% extends "layout.html" %}{% block body %}
<div id="lti-login" data-auth="{{ auth }}"><p>Entrando… / Signing in…</p>
<noscript><p><a href="{{ auth }}">Continuar / Continue</a></p></noscript></div>
<div id="lti-blocked" hidden><h1>Abra numa nova janela / Open in a new window</h1>
<p lang="pt-BR">O navegador bloqueia cookies desta ferramenta dentro do LMS (cookies de terceiros), e sem
eles o login não pode ser verificado com segurança.</p>
<p lang="en">The browser blocks this tool's cookies inside the LMS (third-party cookies), and without them
the sign-in cannot be checked safely.</p>
<p><a href="{{ again }}" target="_blank" rel="noopener">Abrir numa nova janela / Open in a new window</a></p>
</div>{% endblock %}""",
    "picker.html": """{% extends "layout.html" %}{% block body %}
<h1>Escolha a atividade / Choose the assignment</h1>
<form method="post" action="{{ action }}"><input type="hidden" name="ticket" value="{{ ticket }}">
<fieldset><legend>Atividades / Assignments</legend>
{% for c in choices %}<p><label><input type="radio" name="choice" value="{{ c.resource_id }}"
{% if loop.first %}checked{% endif %}> {{ c.label }}
({{ '%g' % c.score_maximum }} pontos / points)</label></p>
{% endfor %}</fieldset><button type="submit">Adicionar ao curso / Add to the course</button></form>
{% endblock %}""",
    "registered.html": """{% extends "layout.html" %}{% block body %}
<h1 id="lti-registered">Ferramenta registrada / Tool registered</h1>
<p lang="pt-BR">layerwise está registrado em {{ issuer }}. Ative a ferramenta no LMS para usá-la.</p>
<p lang="en">layerwise is registered with {{ issuer }}. Activate the tool in the LMS to use it.</p>
{% endblock %}""",
    "autosubmit.html": """{% extends "layout.html" %}{% block body %}
<form method="post" action="{{ action }}" data-autosubmit>{% for k, v in fields.items() %}
<input type="hidden" name="{{ k }}" value="{{ v }}">{% endfor %}
<p>Voltando ao LMS… / Returning to the LMS…</p><button type="submit">Continuar / Continue</button></form>
{% endblock %}""",
}

_ENV = Environment(loader=DictLoader(_TEMPLATES), autoescape=select_autoescape(default=True))

ASSET = """(function () {
  var login = document.getElementById("lti-login");
  if (login) {
    if (document.cookie.indexOf("lti_probe=1") !== -1) { window.location.replace(login.dataset.auth); }
    else { login.hidden = true; document.getElementById("lti-blocked").hidden = false; }
  }
  if (document.getElementById("lti-registered")) {
    (window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");
  }
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
})();
"""


def _page(name: str, status: int = 200, **values: object) -> HTMLResponse:
    html = _ENV.get_template(name).render(**values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def refused(err: LaunchRefused, asset: str) -> HTMLResponse:
    """The refusal page: what went wrong, in both languages; never any token."""
    return _page("refused.html", err.status, title="Acesso recusado / Access refused", pt=err.pt, en=err.en,
                 code=type(err).__name__, asset=asset)


def login(auth: str, again: str, asset: str) -> HTMLResponse:
    """Goes on to the platform, or says to reopen in a new window when cookies are blocked."""
    return _page("login.html", title="Entrando / Signing in", auth=auth, again=again, asset=asset)


def picker(action: str, ticket: str, choices: list[DeepLinkChoice], asset: str) -> HTMLResponse:
    """The instructor's choice of the assignment to link."""
    return _page("picker.html", title="Escolha a atividade / Choose the assignment", action=action,
                 ticket=ticket, choices=choices, asset=asset)


def autosubmit(action: str, fields: dict[str, str], asset: str) -> HTMLResponse:
    """A form posted at once to `action` (the deep-linking return)."""
    return _page("autosubmit.html", title="layerwise", action=action, fields=fields, asset=asset)


def registered(issuer: str, asset: str) -> HTMLResponse:
    """Dynamic registration done; the script tells the LMS to close its registration window."""
    return _page("registered.html", title="Ferramenta registrada / Tool registered", issuer=issuer,
                 asset=asset)
