from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Accounts and profiles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from careeros.db.accounts import last_login_update

        # Django's own receiver would update the row outside the user's context, where row
        # level security hides it.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(last_login_update, dispatch_uid="careeros_last_login")
