package com.gpudash.infra.identity;

import com.gpudash.infra.H2ApplicationTest;

@H2ApplicationTest
class LoginLockoutH2Test extends LoginLockoutContract {
}
