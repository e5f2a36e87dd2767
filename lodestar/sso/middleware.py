"""python3-saml (allauth's SAML provider) reads the Host header itself, where Django would fall
back to the server's name: a request without one (HTTP/1.0) would end in a server error."""


def host_header(get_response):
    def middleware(request):
        if "HTTP_HOST" not in request.META:
            request.META["HTTP_HOST"] = request.get_host()  # the checked host (ALLOWED_HOSTS)
        return get_response(request)

    return middleware
