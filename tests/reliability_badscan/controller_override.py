from pyramid_hooks import Controller, route


class Pages(Controller):
    @route('/page')
    def page(self):
        return 'page'


class JsonPages(Pages):
    @route(type='json')
    def page(self):
        return {'page': True}
