/** True in dev builds (devstack, `vite dev`); false in the production build, which drops the dev sign-in. */
declare const __DEV_SIGN_IN__: boolean;
