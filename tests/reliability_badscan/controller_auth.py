from pyramid_hooks import Controller, route


class AdminPages(Controller):
    @route('/admin', auth='administrators')
    def dashboard(self):
        return 'never served'
