from pyramid.view import view_config


@view_config(
    route_name='home', renderer='json', validate='no_such_module.validator'
)
def view_with_missing_validator(request):
    return {}
