from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.services import api_token_obtain

from .permissions import TokenEndpointThrottle


class ApiRootView(APIView):
    """Desmigratif portal API, version 1. / API portal Desmigratif, versi 1."""

    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("ApiRoot", {"endpoints": serializers.DictField(),
                                                           "schema": serializers.URLField(),
                                                           "docs": serializers.URLField()}))
    def get(self, request):
        from .urls import router

        endpoints = {prefix: reverse(f"api:{basename}-list", request=request)
                     for prefix, _viewset, basename in router.registry}
        return Response({"endpoints": endpoints, "schema": reverse("api:schema", request=request),
                         "docs": reverse("api:docs", request=request),
                         "token": reverse("api:token", request=request)})


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`. Shown this once."))
    name = serializers.CharField()
    read_only = serializers.BooleanField()
    username = serializers.CharField()
    role = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text=_(
        "When the token stops working (API_TOKEN_LIFETIME_DAYS after it was obtained): obtain a new one then. "
        "A change of the password revokes it sooner."))


class TokenObtainView(APIView):
    """A new token for the user whose username and password are given (the lockout after repeated
    failures applies, as on the login page). It expires (`expires_at`) and is revoked when the password
    changes; a user keeps a bounded number of them, one more revokes the oldest. / Token baru untuk
    pengguna dengan nama pengguna dan kata sandi yang diberikan."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [TokenEndpointThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenResponseSerializer},
                   examples=[OpenApiExample("kemnaker", value={"username": "kemnaker", "password": "…"},
                                            request_only=True)])
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        token, key = api_token_obtain(user=user)
        answer = {"token": key, "name": token.name, "read_only": token.read_only, "username": user.username,
                  "role": user.role, "expires_at": token.expires_at}
        return Response(TokenResponseSerializer(answer).data, status=status.HTTP_201_CREATED)
