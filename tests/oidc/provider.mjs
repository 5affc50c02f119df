// A real OpenID provider for the sign-in tests: `node provider.mjs PORT REDIRECT_URI`. Its own sign-in
// form (oidc-provider's development interactions) takes any login; the login is the person's subject and
// their email is LOGIN@council.example. Prints "ready ISSUER" once it listens.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "dhr-app",
      client_secret: "dhr-test-secret",
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri], // Streamlit's st.logout returns through its callback
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@council.example`, email_verified: true, name: `Council user ${id}` };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  // the claims of the granted scopes go in the ID token itself, as Entra ID puts them: Streamlit reads
  // the person from the ID token
  conformIdTokenClaims: false,
  cookies: { keys: ["dhr-test-cookie-key"] },
});
provider.listen(Number(port), "127.0.0.1", () => console.log(`ready ${issuer}`));
