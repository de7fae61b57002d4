/** Where "contact support" goes in the demo: a real mailto link with the subject filled in. */
export const SUPPORT_HREF = 'mailto:support@northwind.example?subject=Northwind%20Pro%20license'

export function SupportLink({ children = 'Contact support' }: { children?: string }) {
  return <a href={SUPPORT_HREF}>{children}</a>
}
