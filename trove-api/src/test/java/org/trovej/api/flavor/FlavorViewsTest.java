package org.trovej.api.flavor;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class FlavorViewsTest {

    @Test
    void onlyPlainIntegersWithoutLeadingZerosBecomeNumericIds() {
        assertThat(FlavorViews.numericId("42")).isEqualTo(BigInteger.valueOf(42));
        assertThat(FlavorViews.numericId("123456789012345678901")).isEqualTo(new BigInteger("123456789012345678901"));
        assertThat(FlavorViews.numericId("0")).isNull();
        assertThat(FlavorViews.numericId("07")).isNull();
        assertThat(FlavorViews.numericId("d1")).isNull();
        assertThat(FlavorViews.numericId("-1")).isNull();
        assertThat(FlavorViews.numericId("2c3e-uuid")).isNull();
    }
}
