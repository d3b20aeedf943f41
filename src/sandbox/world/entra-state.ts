/** Microsoft Entra tenant state of the sandbox. Extended by the Graph, OAuth and SAML handlers. */

export type EntraState = {
  tenantId: string;
  /** The app registration the product authenticates as. */
  clientId: string;
  clientSecret: string;
};
