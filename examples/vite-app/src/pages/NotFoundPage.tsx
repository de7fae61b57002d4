import { Link } from '../router.js'

export function NotFoundPage() {
  return (
    <div className="page-head">
      <h1 tabIndex={-1}>Page not found</h1>
      <p className="muted">
        There is nothing at this address. <Link to="/">Back to the dashboard</Link>
      </p>
    </div>
  )
}
