// Vitest loads global setup files by path; this one pulls in the shared setup by package name.
export { default } from "@switchyard/testing/global-setup";
