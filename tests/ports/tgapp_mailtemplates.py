"""Port of tgapp-mailtemplates 0.16.0 to Pyramid with pyramid_hooks.

Original: ``mailtemplates/__init__.py`` (``plugme``),
``mailtemplates/controllers/root.py`` (``RootController``),
``mailtemplates/lib/__init__.py`` (``send_email``, ``_send_email``),
``mailtemplates/lib/forms.py`` (the five tw2 forms),
``mailtemplates/lib/validator.py`` (the Kajiki template validators,
``UniqueLanguageValidator``, ``UniqueModelNameValidator``),
``mailtemplates/lib/template_filler.py`` (``TemplateFiller``) and
``mailtemplates/model/sqla/models.py``.  The sprox provider is
:class:`Provider` (the tgext.crud port's in-memory tables), the Kajiki
pages the userprofile port's stand-in renderer, a form the list of its
fields and its action; Kajiki itself is not installed: a template is
checked as XML (``XMLTemplate``) or for closed ``${...}`` and ``{%...%}``
(``TextTemplate``), and filled by :func:`render_template`.  Mail goes
through the tgext.mailer port, asynchronously through the tgext.asyncjob
port's queue.

TurboGears -> Pyramid:

- ``plug(app_config, 'mailtemplates', **options)`` -> :func:`plugme`:
  the options' defaults, ``app_config['_mailtemplates'] = options`` as a
  setting, ``plug(app_config, 'tgext.mailer')`` unless plugged as
  ``config.include('tests.ports.tgext_mailer')`` (once per
  configuration), ``tgext.asyncjob`` the same way when it sends;
  ``milestones.config_ready.register(model.configure_models)`` -> the
  ``provider`` option (the tests give a :class:`Provider`);
- ``allow_only = predicates.has_permission('mailtemplates')`` -> a
  ``before_validate`` listener scoped to the class (:func:`allow_only`),
  registered before the controller is added; an anonymous visitor gets
  the default ``auth='user'``'s 403 where repoze.who answered 401.  Kept
  as a class attribute it would guard nothing: the start fails naming it;
- ``@expose('kajiki:mailtemplates.templates.index')`` stacked over the
  ``genshi:`` one -> one ``renderer=`` (``.kajiki``); ``@expose()`` (the
  redirecting actions) -> the renderer of their error handler, which
  answers through it;
- ``@validate(CreateTranslationForm, error_handler=new_translation)`` ->
  ``validate=CreateTranslationForm.validate`` (:class:`Form`: each
  field's check, then the form's own, as tw2 runs a compound validator
  once its children passed), ``error_handler='new_translation'``.  A tw2
  form redisplays the refused values and its errors by itself (tw2 keeps
  the validated widget request-local); here the error handler passes
  both to the page (``self.request.hook_params``,
  ``validation_errors``), or the user's input would be gone, silently;
- ``send_test_email``'s ``error_handler=test_email``, ``test_email``
  having its own ``@validate`` (which TurboGears does not run for it) ->
  the page moved to a method without ``route()``, ``test_email_page``,
  which ``test_email`` calls and which answers for ``send_test_email``
  (naming ``test_email`` is a startup error);
- ``return tg.abort(404)`` -> ``raise HTTPNotFound()``;
  ``redirect(url('index'))`` -> ``HTTPFound`` to the route of ``index``;
  ``tg.flash`` -> ``request.session.flash``;
- ``index`` at ``/mailtemplates``, ``/mailtemplates/`` and
  ``/mailtemplates/index`` (object dispatch) -> three patterns;
- ``send_email(recipients, sender, mail_model_name, ...)`` reading
  ``tg.config`` and ``tg.request`` -> the same with the ``request``
  first; ``send_async`` with ``tgext.asyncjob`` -> the asyncjob port's
  ``asyncjob_perform(request, ...)`` of the application's mailer;
- the POSTed forms carry Pyramid's CSRF token (``csrf_token``), which
  TurboGears does not check.
"""

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from pyramid.csrf import get_csrf_token
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound

from pyramid_hooks import Controller, Invalid, route
from tests.ports import tgext_asyncjob
from tests.ports.tgapp_userprofile import kajiki_stand_in
from tests.ports.tgext_asyncjob import asyncjob_perform
from tests.ports.tgext_crud import MemoryProvider
from tests.ports.tgext_mailer import Message, get_mailer

CONFIG_KEY = '_mailtemplates'
ROOT = 'tests.ports.tgapp_mailtemplates.RootController.'
TEMPLATES = 'mailtemplates:templates/'
NEW_TRANSLATION = TEMPLATES + 'new_translation.kajiki'
EXPRESSION = re.compile(r'\$\{([^}]*)\}')


class MailTemplatesError(Exception):
    pass


@dataclass
class MailModel:
    name: str
    usage: str
    _id: int | None = None

    fields = ('name', 'usage')


@dataclass
class TemplateTranslation:
    language: str
    mail_model: MailModel
    subject: str | None = None
    body: str | None = None
    _id: int | None = None
    mail_model_id: int | None = field(init=False, default=None)

    fields = ('language', 'mail_model', 'subject', 'body')

    def __post_init__(self):
        self.mail_model_id = self.mail_model._id


class Provider:
    """The sprox provider's calls: one in-memory table per model."""

    def __init__(self):
        self.tables = {
            m: MemoryProvider(m, '_id')
            for m in (MailModel, TemplateTranslation)
        }

    def query(self, model, filters):
        return self.tables[model].query(model, filters)

    def create(self, model, params):
        return self.tables[model].create(model, params)

    def flush(self):
        pass


def _options(request):
    return request.registry.settings[CONFIG_KEY]


def _query(request, model, **filters):
    return _options(request)['provider'].query(model, filters=filters)[1]


# validators: a field's check returns the value or raises FieldError


class FieldError(Exception):
    pass


def unicode_string(request, value):
    """``UnicodeString(not_empty=True)``."""
    if not value:
        raise FieldError('Please enter a value')
    return value


def kajiki_template(request, value):
    """``KajikiTemplateValidator``: ``kajiki.XMLTemplate(value)`` parses;
    empty is ``None``, as FancyValidator skips the check of an empty
    value."""
    if not value:
        return None
    try:
        expat.ParserCreate().Parse(value, True)
    except expat.ExpatError:
        raise FieldError('Template not valid.') from None
    return value


def kajiki_text_template(request, value):
    """``KajikiTextTemplateValidator``: every ``${`` and ``{%`` closed."""
    if not value:
        return None
    rest = EXPRESSION.sub('', re.sub(r'\{%.*?%\}', '', value))
    if '${' in rest or '{%' in rest:
        raise FieldError('Template not valid.')
    return value


def unique_model_name(request, value):
    """``UniqueModelNameValidator(not_empty=True)``."""
    value = unicode_string(request, value)
    if _query(request, MailModel, name=value):
        raise FieldError('Model with this name already created.')
    return value


def email(request, value):
    """``twc.EmailValidator(not_empty=True)``."""
    value = unicode_string(request, value)
    if not re.fullmatch(r'[^@\s]+@[^@\s]+\.[^@\s]+', value):
        raise FieldError('Must be a valid email address')
    return value


def hidden(request, value):
    return value


class Form:
    """A tw2 form: ``fields`` maps each child to its check, ``validator``
    is the form's own (run once the children passed)."""

    action = None
    fields = {}

    @staticmethod
    def validator(request, values):
        pass

    @classmethod
    def validate(cls, request, params):
        values, errors = {}, {}
        for name, check in cls.fields.items():
            try:
                values[name] = check(request, params.get(name, ''))
            except FieldError as error:
                errors[name] = str(error)
        if errors:
            raise Invalid(errors)
        cls.validator(request, values)
        return values

    @classmethod
    def describe(cls, request):
        """What the page shows of the form: its action and fields."""
        return {
            'action': request.route_path(ROOT + cls.action),
            'fields': list(cls.fields),
            'csrf_token': get_csrf_token(request),
        }


def unique_language(translation_field=None):
    """``UniqueLanguageValidator('model_id', 'language', ...)``: one
    translation per language of a model (the edited one aside)."""

    def validator(request, values):
        given = None
        if translation_field:  # edit mode
            found = _query(
                request, TemplateTranslation, _id=values[translation_field]
            )
            if not found:
                return
            given = found[0]
        same = _query(
            request,
            TemplateTranslation,
            mail_model_id=values['model_id'],
            language=values['language'],
        )
        if same and (given is None or given.language != same[0].language):
            raise Invalid(
                {'language': 'Template for this language already created.'}
            )

    return staticmethod(validator)


TRANSLATION_FIELDS = {
    'model_id': hidden,
    'language': unicode_string,
    'subject': kajiki_text_template,
    'body': kajiki_template,
}


class CreateTranslationForm(Form):
    action = 'create_translation'
    fields = TRANSLATION_FIELDS
    validator = unique_language()


class EditTranslationForm(Form):
    action = 'update_translation'
    fields = {'translation_id': hidden, **TRANSLATION_FIELDS}
    validator = unique_language('translation_id')


class NewModelForm(Form):
    action = 'create_model'
    fields = {
        'name': unique_model_name,
        'usage': unicode_string,
        'language': unicode_string,
        'subject': kajiki_text_template,
        'body': kajiki_template,
    }


class EditDescriptionForm(Form):
    action = 'update_description'
    fields = {'model_id': hidden, 'description': hidden}


class TestEmailForm(Form):
    action = 'send_test_email'
    fields = {
        'translation_id': hidden,
        'language': hidden,
        'body': hidden,
        'subject': hidden,
        'email': email,
    }


def allow_only(request, params):
    """``allow_only = predicates.has_permission('mailtemplates')``."""
    if not request.has_permission('mailtemplates'):
        raise HTTPForbidden()


def render_template(source, data):
    """Kajiki's rendering of ``${name}``: the value of *name* in *data*,
    or, as ``TemplateFiller`` fills a test mail, the name itself."""
    return EXPRESSION.sub(
        lambda m: str(data.get(m.group(1).strip(), m.group(1).strip())),
        source,
    )


def send_email(
    request,
    recipients,
    sender,
    mail_model_name,
    cc=None,
    translation=None,
    data=None,
    send_async=False,
    attachments=None,
    bcc=None,
):
    """The mail of the model *mail_model_name* in the language
    *translation* (the ``default_language`` option), filled with *data*."""
    mail_models = _query(request, MailModel, name=mail_model_name)
    if not mail_models:
        raise MailTemplatesError(f"Mail model '{mail_model_name}' not found.")
    language = translation or _options(request)['default_language']
    translations = _query(
        request,
        TemplateTranslation,
        mail_model=mail_models[0],
        language=language,
    )
    if not translations:
        raise MailTemplatesError('Translation for this mail model not found')
    tr = translations[0]
    html = render_template(tr.body, data or {})
    subject = render_template(tr.subject, data or {})
    _send_email(
        request,
        sender,
        recipients,
        subject,
        html,
        cc=cc,
        bcc=bcc,
        send_async=send_async,
        attachments=attachments or [],
    )


def _send_email(
    request,
    sender,
    recipients,
    subject,
    html,
    cc=None,
    bcc=None,
    send_async=True,
    attachments=(),
):
    message = Message(
        subject=subject, sender=sender, recipients=list(recipients), html=html
    )
    message.cc, message.bcc = cc, bcc  # not fields of the mailer port's
    message.attachments = list(attachments)
    if send_async and _options(request)['async_sender'] == 'tgext.asyncjob':
        mailer = get_mailer(None)
        asyncjob_perform(request, mailer.send_immediately, message=message)
    else:
        get_mailer(request).send_immediately(message)


class RootController(Controller):
    @route(['', '/', '/index'], renderer=TEMPLATES + 'index.kajiki')
    def index(self):
        return {
            'mail_models': [
                {'_id': m._id, 'name': m.name, 'usage': m.usage}
                for m in _query(self.request, MailModel)
            ],
            'flash': self.request.session.pop_flash(),
        }

    def _form_page(self, form, values):
        """The page of *form*: the refused values and errors when it
        answers for a failing route (tw2 redisplays them by itself)."""
        request = self.request
        errors = getattr(request, 'validation_errors', {})
        if errors:
            values = {k: request.hook_params.get(k) for k in form.fields}
        return {
            'form': form.describe(request),
            'values': values,
            'errors': errors,
            'flash': request.session.pop_flash(),
        }

    @route('/new_translation', renderer=NEW_TRANSLATION)
    def new_translation(self, model_id, **kwargs):
        return self._form_page(CreateTranslationForm, {'model_id': model_id})

    @route('/edit_translation', renderer=NEW_TRANSLATION)
    def edit_translation(self, translation_id, **kwargs):
        found = _query(self.request, TemplateTranslation, _id=translation_id)
        if not found:
            raise HTTPNotFound()
        tr = found[0]
        return self._form_page(
            EditTranslationForm,
            {
                'translation_id': tr._id,
                'language': tr.language,
                'subject': tr.subject,
                'body': tr.body,
                'model_id': tr.mail_model_id,
            },
        )

    @route(
        '/create_translation',
        validate=CreateTranslationForm.validate,
        error_handler='new_translation',
        renderer=NEW_TRANSLATION,
    )
    def create_translation(self, **kwargs):
        request = self.request
        mail_models = _query(request, MailModel, _id=kwargs['model_id'])
        if not mail_models:
            raise HTTPNotFound()
        _options(request)['provider'].create(
            TemplateTranslation,
            {
                'language': kwargs['language'],
                'mail_model': mail_models[0],
                'subject': kwargs['subject'],
                'body': kwargs['body'],
            },
        )
        request.session.flash('Translation created.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    @route(
        '/update_translation',
        validate=EditTranslationForm.validate,
        error_handler='edit_translation',
        renderer=NEW_TRANSLATION,
    )
    def update_translation(self, **kwargs):
        request = self.request
        found = _query(
            request, TemplateTranslation, _id=kwargs['translation_id']
        )
        if not found:
            raise HTTPNotFound()
        tr = found[0]
        tr.language = kwargs['language']
        tr.subject = kwargs['subject']
        tr.body = kwargs['body']
        _options(request)['provider'].flush()
        request.session.flash('Translation edited.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    @route('/new_model', renderer=TEMPLATES + 'new_model.kajiki')
    def new_model(self, **kwargs):
        language = _options(self.request)['default_language']
        return self._form_page(NewModelForm, {'language': language})

    @route(
        '/create_model',
        validate=NewModelForm.validate,
        error_handler='new_model',
        renderer=TEMPLATES + 'new_model.kajiki',
    )
    def create_model(self, **kwargs):
        request = self.request
        provider = _options(request)['provider']
        mail_model = provider.create(
            MailModel, {'name': kwargs['name'], 'usage': kwargs['usage']}
        )
        provider.create(
            TemplateTranslation,
            {
                'language': kwargs['language'],
                'mail_model': mail_model,
                'subject': kwargs['subject'],
                'body': kwargs['body'],
            },
        )
        request.session.flash('Model created.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    def test_email_page(self, **kwargs):
        """``test_email``'s page, which also answers for a refused
        ``send_test_email`` (see the module docstring)."""
        return self._form_page(TestEmailForm, kwargs)

    @route(
        '/test_email',
        validate=EditTranslationForm.validate,
        error_handler='edit_translation',
        renderer=NEW_TRANSLATION,
    )
    def test_email(self, **kwargs):
        return self.test_email_page(**kwargs)

    @route(
        '/send_test_email',
        validate=TestEmailForm.validate,
        error_handler='test_email_page',
        renderer=NEW_TRANSLATION,
    )
    def send_test_email(self, **kwargs):
        request = self.request
        subject = kwargs['subject'].replace('$', '$$')  # as the original
        html = render_template(kwargs['body'], {})  # TemplateFiller's names
        _send_email(
            request,
            recipients=[kwargs['email']],
            sender=request.registry.settings.get(
                'mail.username', 'no-reply@axantweb.com'
            ),
            subject=subject,
            html=html,
            send_async=False,
        )
        request.session.flash(f'Test email sent to {kwargs["email"]}')
        return self._form_page(EditTranslationForm, kwargs)

    @route('/edit_description', renderer=TEMPLATES + 'edit_description.kajiki')
    def edit_description(self, **kwargs):
        found = _query(self.request, MailModel, _id=kwargs.get('model_id'))
        if not found:
            raise HTTPNotFound()
        return self._form_page(
            EditDescriptionForm,
            {
                'model_id': kwargs.get('model_id'),
                'description': found[0].usage,
            },
        )

    @route(
        '/update_description',
        validate=EditDescriptionForm.validate,
        error_handler='edit_description',
        renderer=TEMPLATES + 'edit_description.kajiki',
    )
    def update_description(self, **kwargs):
        request = self.request
        found = _query(request, MailModel, _id=kwargs['model_id'])
        if not found:
            raise HTTPNotFound()
        found[0].usage = kwargs['description']
        _options(request)['provider'].flush()
        request.session.flash('Model description edited.')
        return HTTPFound(request.route_url(ROOT + 'index'))

    def _valid(self, form, kwargs):
        self.request.session.flash('Email template valid.')
        return self._form_page(form, kwargs)

    @route(
        '/validate_template',
        validate=CreateTranslationForm.validate,
        error_handler='new_translation',
        renderer=NEW_TRANSLATION,
    )
    def validate_template(self, **kwargs):
        return self._valid(CreateTranslationForm, kwargs)

    @route(
        '/validate_template_edit',
        validate=EditTranslationForm.validate,
        error_handler='edit_translation',
        renderer=NEW_TRANSLATION,
    )
    def validate_template_edit(self, **kwargs):
        return self._valid(EditTranslationForm, kwargs)

    @route(
        '/validate_template_model',
        validate=NewModelForm.validate,
        error_handler='new_model',
        renderer=NEW_TRANSLATION,
    )
    def validate_template_model(self, **kwargs):
        return self._valid(NewModelForm, kwargs)


def include_asyncjob(config):
    """``plug(app_config, 'tgext.asyncjob')`` unless plugged: Pyramid
    includes a callable once per configuration."""
    tgext_asyncjob.plugme(config)


def plugme(config, mount_point='/mailtemplates', **options):
    """What ``plug(base_config, 'mailtemplates', **options)`` did;
    *options* hold the ``provider``."""
    options.setdefault('default_language', 'EN')
    options.setdefault('async_sender', 'tgext.asyncjob')
    sender = options['async_sender']
    if sender not in (None, 'tgext.asyncjob'):
        raise ConfigurationError(
            f'async_sender {sender!r}: tgext.celery is not ported, and '
            'other senders are unknown'
        )
    config.add_settings({CONFIG_KEY: options})
    config.add_renderer('.kajiki', kajiki_stand_in)
    config.include('tests.ports.tgext_mailer')
    if sender == 'tgext.asyncjob':
        config.include(include_asyncjob)
    config.register_hook('before_validate', allow_only, view=RootController)
    with config.route_prefix_context(mount_point):
        config.add_controller(RootController)
    return {'appid': 'mailtemplates', 'global_helpers': False}
