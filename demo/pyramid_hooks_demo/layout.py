"""A tiny ``html`` renderer: the view returns a dict with a ``body`` (an
HTML string it built) and a ``title``; listeners of ``before_render`` add
more (the user, the request id); the renderer puts it all in one layout.

It is an ordinary Pyramid renderer factory (``config.add_renderer``), so the
demo needs no template engine.
"""

from html import escape

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - {app}</title>
<style>
body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto;
        color: #222; }}
nav a, nav form {{ margin-right: 1em; display: inline; }}
header {{ border-bottom: 1px solid #ccc; padding-bottom: .5em; }}
footer {{ border-top: 1px solid #ccc; margin-top: 2em; color: #666;
          font-size: small; }}
.error {{ color: #b00; }}
#results li {{ margin: .2em 0; }}
</style>
</head>
<body>
<header>
<strong>{app}</strong>
<nav>{nav}</nav>
<div id="user">{user}</div>
</header>
<main>
<h1>{title}</h1>
{body}
</main>
<footer>request {request_id}</footer>
</body>
</html>
"""


def html_renderer_factory(info):
    """The ``html`` renderer."""

    def render(value, system):
        request = system['request']
        if request is not None:
            request.response.content_type = 'text/html'
        return PAGE.format(
            title=escape(value.get('title', '')),
            app=escape(value.get('app', '')),
            nav=value.get('nav', ''),
            user=value.get('user_html', ''),
            body=value.get('body', ''),
            request_id=escape(value.get('request_id', '-')),
        )

    return render
