package org.trovej.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonUrlTest {

    @Test
    void quoteAsPythonQuotes() {
        assertThat(PythonUrl.quote("app@%")).isEqualTo("app%40%25");
        assertThat(PythonUrl.quote("a b/c.d~e_f-g")).isEqualTo("a%20b/c.d~e_f-g");
        assertThat(PythonUrl.quote("é")).isEqualTo("%C3%A9");
    }

    @Test
    void unquoteAsPythonUnquotes() {
        assertThat(PythonUrl.unquote("app%40%25")).isEqualTo("app@%");
        assertThat(PythonUrl.unquote("app@%")).as("a lone % stays").isEqualTo("app@%");
        assertThat(PythonUrl.unquote("a+b%2e%zz%4")).isEqualTo("a+b.%zz%4");
        assertThat(PythonUrl.unquote("%C3%A9t%C3")).isEqualTo("ét\uFFFD");
    }
}
