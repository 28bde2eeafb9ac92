package org.trovej.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Hands the caller's {@link AuthContext} to controller methods that declare one. */
class AuthContextResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == AuthContext.class;
    }

    @Override
    public AuthContext resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                       WebDataBinderFactory binderFactory) {
        Object context = request.getNativeRequest(HttpServletRequest.class).getAttribute(AuthInterceptor.ATTRIBUTE);
        if (!(context instanceof AuthContext auth)) {
            throw new IllegalStateException("no authenticated context: the route must start with /v1.0/{projectId}");
        }
        return auth;
    }
}
