/** The logged-in user, for pages that adapt to it. */
import { createContext, useContext } from 'react';
import type { UserOut } from '../api/endpoints';

export const UserContext = createContext<UserOut | null>(null);

export function useUser(): UserOut | null {
  return useContext(UserContext);
}
