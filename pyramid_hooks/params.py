"""The ``params`` dict that the pipeline hooks and validators receive."""

from pyramid.httpexceptions import HTTPBadRequest


def request_params(request):
    """The request's parameters as a new, mutable dict: the matchdict over
    the GET and POST parameters (the matchdict wins); a parameter given more
    than once becomes a list.

    Undecodable parameters (invalid UTF-8, a broken form body, a form
    declared in another charset than UTF-8, which WebOb refuses by raising
    :class:`DeprecationWarning`) are the client's fault:
    :class:`~pyramid.httpexceptions.HTTPBadRequest`.
    """
    environ = request.environ
    if not (
        environ.get('QUERY_STRING')
        or environ.get('CONTENT_TYPE')
        or environ['REQUEST_METHOD'] == 'POST'
    ):
        # No query string and no form body (WebOb parses a body as a form
        # only for a POST or a form content type): building WebOb's GET,
        # POST and combined dicts would be most of the pipeline's cost.
        params = {}
    else:
        try:
            params = {
                key: values[0] if len(values) == 1 else values
                for key, values in request.params.dict_of_lists().items()
            }
        except (UnicodeDecodeError, ValueError, DeprecationWarning) as e:
            raise HTTPBadRequest(
                f'The request parameters cannot be decoded: {e}'
            ) from e
    if request.matchdict:
        params.update(request.matchdict)
    return params
