package org.trovej.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonJsonTest {

    @Test
    void writesLikePythonJsonDumps() throws Exception {
        String text = "{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"x\\\"y\"}, \"e\": [], \"f\": {}}";
        assertThat(PythonJson.dumps(PythonJson.parse(text))).isEqualTo(text);
    }

    @Test
    void floatsUsePythonRepr() {
        assertThat(PythonJson.pythonFloat(1795582479.4027817)).isEqualTo("1795582479.4027817");
        assertThat(PythonJson.pythonFloat(1.0)).isEqualTo("1.0");
        assertThat(PythonJson.pythonFloat(0.5)).isEqualTo("0.5");
        assertThat(PythonJson.pythonFloat(1e16)).isEqualTo("1e+16");
        assertThat(PythonJson.pythonFloat(1.5e-5)).isEqualTo("1.5e-05");
        assertThat(PythonJson.pythonFloat(-2.25)).isEqualTo("-2.25");
        assertThat(PythonJson.pythonFloat(123456789012345.6)).isEqualTo("123456789012345.6");
    }

    @Test
    void escapesNonAsciiAsPythonDoes() throws Exception {
        assertThat(PythonJson.dumps(PythonJson.parse("\"d\u00e9j\u00e0\""))).isEqualToIgnoringCase("\"d\\u00e9j\\u00e0\"");
    }
}
